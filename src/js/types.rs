//! TypeScript declarations for the option and result objects of the JS API
//! (wasm-bindgen `typescript_custom_section`); the exports refer to them by name through
//! `unchecked_param_type` / `unchecked_return_type`.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A Vipps MobilePay environment. */
export type Environment = "test" | "production";

/** Every stable error code a `VippsAuthError` can carry. */
export type VippsAuthErrorCode =
  | "ERR_INVALID_PARAMS" | "ERR_RANDOM" | "ERR_STATE_MISMATCH" | "ERR_AUTHORIZATION_RESPONSE"
  | "ERR_CALLBACK_MALFORMED" | "ERR_JWT_MALFORMED" | "ERR_JWT_UNSUPPORTED_HEADER" | "ERR_JWKS_MALFORMED"
  | "ERR_ALG_NOT_ALLOWED" | "ERR_KEY_NOT_FOUND" | "ERR_KEY_AMBIGUOUS" | "ERR_KEY_UNSUITABLE"
  | "ERR_SIGNATURE_INVALID" | "ERR_CLAIM_EXPIRED" | "ERR_CLAIM_NOT_YET_VALID" | "ERR_CLAIM_ISSUER"
  | "ERR_CLAIM_AUDIENCE" | "ERR_CLAIM_NONCE" | "ERR_CLAIM_AT_HASH" | "ERR_CLAIM_AUTH_TIME"
  | "ERR_CLAIM_MISSING" | "ERR_CLAIM_INVALID" | "ERR_HTTP" | "ERR_RESPONSE_MALFORMED"
  | "ERR_DISCOVERY_ISSUER" | "ERR_NETWORK" | "ERR_TIMEOUT" | "ERR_CRYPTO";

/** What every function of this package throws (or rejects with). */
export interface VippsAuthError extends Error {
  name: "VippsAuthError";
  code: VippsAuthErrorCode;
  /** Vipps' `error`, when the failure came from Vipps. */
  vippsError?: string;
  /** Vipps' `error_description`, when Vipps sent one. */
  vippsErrorDescription?: string;
  /** The HTTP status, for `ERR_HTTP`. */
  status?: number;
}

/** The Vipps Login and token endpoints of one environment. */
export interface VippsEndpoints {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  userinfoEndpoint: string;
  accessTokenEndpoint: string;
  miamiTokenEndpoint: string;
}

/** A Vipps Login flow variant (`requested_flow`). */
export type RequestedFlow = "automatic_return_from_vipps_app" | "app_to_app" | "app_to_app_v2";

/** Parameters of the authorize request (OpenID Connect Core 1.0 section 3.1.2.1). */
export interface AuthorizeParams {
  authorizationEndpoint: string;
  /** Exactly one of `clientId` and `msn` (partners). */
  clientId?: string;
  msn?: string;
  redirectUri: string;
  /** Must contain "openid". */
  scope: string | string[];
  state: string;
  nonce?: string;
  /** The S256 challenge (RFC 7636 section 4.2); "plain" is refused. */
  codeChallenge: string;
  requestedFlow?: RequestedFlow;
  appCallbackUri?: string;
  finalRedirectIsApp?: boolean;
  acrValues?: string;
  /** More query parameters; may not override the above. */
  extraParams?: Record<string, string>;
}

/** Parameters of `startLogin`: state, nonce and PKCE are made for you. */
export type StartLoginParams = Omit<AuthorizeParams, "state" | "nonce" | "codeChallenge">;

/** The result of `startLogin`: keep `state`, `nonce` and `codeVerifier` for the callback. */
export interface LoginStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The authorization response (RFC 6749 section 4.1.2). */
export interface CallbackResult {
  code: string;
  state: string;
}

/** A JWT's JOSE header and claims set. */
export interface JwtParts {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** The algorithms a signature may use. */
export type JwsAlgorithm = "RS256" | "ES256";

/** Options of `KeySet.remote`. */
export interface RemoteKeySetOptions {
  /** How long a fetched JWK set is used before it is fetched again (default 600). */
  cacheMaxAgeSec?: number;
  /** Least time between two fetches caused by an unknown `kid` (default 30). */
  cooldownSec?: number;
  /** Timeout of one fetch (default 5000). */
  timeoutMs?: number;
}

/** Options of `verifyJwt`. */
export interface VerifyOptions {
  /** The algorithms allowed (default ["RS256"]). */
  algorithms?: JwsAlgorithm[];
}

/** Options of `validateIdToken` (OpenID Connect Core 1.0 section 3.1.3.7). */
export interface ValidateIdTokenOptions {
  issuer: string;
  /** Exactly one of `clientId` and `msn` (partners, who check the `msn` claim). */
  clientId?: string;
  msn?: string;
  /** The nonce sent in the authorize request. */
  nonce?: string;
  keys: KeySet;
  /** Default ["RS256"]. */
  algorithms?: JwsAlgorithm[];
  /** Default 30. */
  clockToleranceSec?: number;
  /** Epoch seconds; default the clock. */
  now?: number;
  maxAgeSec?: number;
  /** When given and the token has `at_hash`, it is checked. */
  accessToken?: string;
}

/** An OpenID Provider metadata document (OpenID Connect Discovery 1.0 section 3). */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint?: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  [member: string]: unknown;
}
"#;
