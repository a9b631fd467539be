/**
 * The dashboard's one SDK client: same origin as the page, the superuser session kept in
 * localStorage under its own key (so an app on the same origin keeps its own session).
 */
import { createClient, localStorageStore } from '@hearth/sdk';

export const client = createClient(location.origin, { authStore: localStorageStore('hearth_dashboard_auth') });
