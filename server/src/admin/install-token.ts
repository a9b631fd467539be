/** The one-time first-superuser install token (install.ts); its own module so a cluster's primary makes one without loading the server. */
import { randomBytes } from 'node:crypto';

/** 32 random bytes: unguessable, and short enough to paste from a terminal. */
const INSTALL_TOKEN_BYTES = 32;

/** A new install token (a cluster's primary makes one and hands it to every worker). */
export const newInstallToken = (): string => randomBytes(INSTALL_TOKEN_BYTES).toString('base64url');
