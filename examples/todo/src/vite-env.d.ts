/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The Hearth server the app talks to (default http://127.0.0.1:8090). */
  readonly VITE_HEARTH_URL?: string;
}
