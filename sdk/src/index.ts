/**
 * @hearth/sdk — the TypeScript client of Hearth. Owns transport, errors, the filter helper,
 * per-resource services, auth stores and realtime; imports nothing from server/ or cli/.
 * Entry point: `createClient<Schema>(url, options)`.
 */
export { createClient, type ClientOptions, type HearthClient, type FileUrlOptions } from './client.ts';
export { HearthError, isHearthError, type FieldError } from './errors.ts';
export { filter, filterLiteral, formatDate } from './filter.ts';
export { memoryStore, localStorageStore, type AuthStore, type AuthState } from './auth/auth-store.ts';
export { decodeTokenPayload, isTokenValid } from './auth/jwt.ts';
export type { AuthService, AuthMethods, AuthSessionInfo, OAuth2Params, SignUpData } from './auth/auth-service.ts';
export type { AuthChangeListener } from './auth/auth-session.ts';
export type { OAuth2PopupOptions } from './auth/oauth2-popup.ts';
export type { RecordService } from './services/record-service.ts';
export type { CollectionsService, CollectionModel, CollectionField, CollectionInput } from './services/collections-service.ts';
export type { SettingsService, Settings } from './services/settings-service.ts';
export type { InstallService, FirstSuperuser } from './services/install-service.ts';
export type { ListOptions, ReadOptions } from './services/list-options.ts';
export type { Batch, BatchCollection, BatchResult, BatchRequest } from './services/batch.ts';
export type { RequestOptions, SendOptions } from './transport/send.ts';
export type { RealtimeConnection, RealtimeOptions, RealtimeStatus, Unsubscribe } from './realtime/connection.ts';
export type { ChangeEvent, SubscribeOptions } from './realtime/subscription.ts';
export type { LiveList, LiveListQuery } from './realtime/live-list.ts';
export type { BackoffOptions } from './realtime/backoff.ts';
export type { SocketConstructor, SocketLike } from './realtime/socket.ts';
export type { ChangeAction } from './realtime/protocol.ts';
export type { CreateBody, UpdateBody } from './types/bodies.ts';
export type { Selected, WithExpand, WithFields } from './types/expand.ts';
export type {
  AnyRecord,
  AuthFields,
  AuthResult,
  DefaultSchema,
  FileName,
  ListResult,
  SchemaShape,
  SystemFields,
  ThumbOf,
} from './types/records.ts';
