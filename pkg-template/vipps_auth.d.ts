// The public API of the vipps-auth package (DESIGN.md), written by hand: js/index.js implements it.
// It names nothing of the DOM lib (no RequestInfo, BufferSource, WebAssembly.Module): it
// compiles under `tsc --strict`, `skipLibCheck: false`, with the DOM lib or Node types only.

/**
 * What `init` loads the wasm from: its URL (a string or a `URL`), a `Response` or its promise,
 * its bytes, or a compiled `WebAssembly.Module` (typed structurally: no DOM lib needed).
 */
export type InitInput = string | { readonly href: string } | ArrayBuffer | ArrayBufferView | object;

/** What `initSync` instantiates: the wasm's bytes or a compiled `WebAssembly.Module`. */
export type SyncInitInput = ArrayBuffer | ArrayBufferView | object;

/**
 * Browser build only: fetches and instantiates `vipps_auth_bg.wasm` (by default the file beside
 * the module, `new URL("vipps_auth_bg.wasm", import.meta.url)`). Call it once before any other
 * function, which throw `ERR_NOT_INITIALIZED` until it has resolved. In Node and Cloudflare
 * Workers the package has initialized itself on import and calling it is not needed.
 */
export default function init(input?: { module_or_path: InitInput | PromiseLike<InitInput> }): Promise<void>;

/** Instantiates the wasm synchronously from its bytes or a compiled module. */
export function initSync(input: { module: SyncInitInput }): void;

/** A Vipps MobilePay environment. */
export type Environment = "test" | "production";

// generated:error-codes (npm-wasm/src/generated.rs): do not edit until the end marker
/** Every stable error code a `VippsAuthError` can carry. */
export type VippsAuthErrorCode =
| "ERR_INVALID_PARAMS" | "ERR_RANDOM" | "ERR_STATE_MISMATCH" | "ERR_AUTHORIZATION_RESPONSE"
| "ERR_CALLBACK_MALFORMED" | "ERR_CALLBACK_ISSUER" | "ERR_JWT_MALFORMED" | "ERR_JWT_UNSUPPORTED_HEADER"
| "ERR_JWKS_MALFORMED" | "ERR_ALG_NOT_ALLOWED" | "ERR_KEY_NOT_FOUND" | "ERR_KEY_AMBIGUOUS"
| "ERR_KEY_UNSUITABLE" | "ERR_SIGNATURE_INVALID" | "ERR_CLAIM_EXPIRED" | "ERR_CLAIM_NOT_YET_VALID"
| "ERR_CLAIM_ISSUER" | "ERR_CLAIM_AUDIENCE" | "ERR_CLAIM_NONCE" | "ERR_CLAIM_AT_HASH"
| "ERR_CLAIM_AUTH_TIME" | "ERR_CLAIM_MISSING" | "ERR_CLAIM_INVALID" | "ERR_HTTP"
| "ERR_RESPONSE_MALFORMED" | "ERR_DISCOVERY_ISSUER" | "ERR_NETWORK" | "ERR_TIMEOUT"
| "ERR_CRYPTO" | "ERR_NOT_INITIALIZED";
// generated:error-codes:end

/**
 * The structured details of a failure (docs/errors.md), as `error.cause`: the refused
 * argument, the claim that failed, or what Vipps answered. Never a secret.
 */
export type VippsAuthErrorCause =
    | { param: string }
    | { claim: string; expected?: string | number; found?: string | number }
    | { vippsError?: string; vippsErrorDescription?: string; status?: number };

/** What every function of this package throws (or rejects with); `instanceof` works. */
export class VippsAuthError extends Error {
    private constructor();
    name: "VippsAuthError";
    /** The stable code (docs/errors.md). */
    code: VippsAuthErrorCode;
    /** The details: `{param}`, `{claim, expected?, found?}` or Vipps' words; absent for some codes. */
    cause?: VippsAuthErrorCause;
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



/**
 * A set of public keys to check JWT signatures with. Make one with `KeySet.fromJwks` or
 * `KeySet.remote`.
 */
export class KeySet {
    private constructor();
    /** Forgets the keys; using the set afterwards is `ERR_INVALID_PARAMS`. */
    free(): void;
    /**
     * A fixed key set from a JWK set (RFC 7517 section 5), as an object or JSON text.
     */
    static fromJwks(jwks: object | string): KeySet;
    /**
     * A key set fetched from `jwksUri` on first use; see the module docs for caching.
     */
    static remote(jwksUri: string, opts?: RemoteKeySetOptions): KeySet;
    /**
     * How many times this set has fetched its JWKS (0 for `fromJwks`); for monitoring.
     */
    readonly fetchCount: number;
}

/**
 * The authorization URL for `params` (`AuthorizeParams`). Refuses a scope without
 * `openid`, a missing S256 `codeChallenge`, and `extraParams` that override a standard one.
 */
export function buildAuthorizeUrl(params: AuthorizeParams): string;

/**
 * `BASE64URL(SHA256(ASCII(verifier)))` without padding (RFC 7636 section 4.2, S256).
 */
export function codeChallengeS256(verifier: string): string;

/**
 * The header and claims of a JWT, WITHOUT checking its signature: never trust them.
 */
export function decodeJwt(token: string): JwtParts;

/**
 * Fetches `<issuer>.well-known/openid-configuration` (or the given configuration URL) and
 * returns the checked document as a plain object.
 */
export function discover(issuerOrConfigUrl: string): Promise<ProviderMetadata>;

/**
 * The endpoints of `"test"` (`apitest.vipps.no`) or `"production"` (`api.vipps.no`).
 */
export function endpoints(env: Environment): VippsEndpoints;

/**
 * A fresh PKCE `code_verifier` (RFC 7636 section 4.1): 43..128 characters of
 * `[A-Za-z0-9-._~]`.
 */
export function generateCodeVerifier(): string;

/** Options of `parseCallback`. */
export interface ParseCallbackOptions {
    /**
     * The issuer the authorization request went to. An `iss` in the callback must equal it
     * (RFC 9207); a callback with an `iss` is refused when no issuer is given.
     */
    issuer?: string;
}

/**
 * Reads `code` and `state` from the callback URL (or its query) and checks `state`
 * against the one sent (`ERR_STATE_MISMATCH`, also for an error response without `state`)
 * and an `iss` against `opts.issuer` (`ERR_CALLBACK_ISSUER`). A Vipps `error` becomes
 * `ERR_AUTHORIZATION_RESPONSE` with `vippsError` / `vippsErrorDescription`.
 */
export function parseCallback(callbackUrl: string, expectedState: string, opts?: ParseCallbackOptions): CallbackResult;

/**
 * A fresh, URL-safe `nonce`.
 */
export function randomNonce(): string;

/**
 * A fresh, URL-safe `state` of at least 8 characters.
 */
export function randomState(): string;

/**
 * Starts a login: fresh `state`, `nonce` and PKCE verifier, and the URL carrying them.
 * Keep `state`, `nonce` and `codeVerifier` until the callback.
 */
export function startLogin(params: StartLoginParams): LoginStart;

/**
 * Checks the ID token's signature with `opts.keys`, then `iss`, `aud`/`azp` (or `msn` for
 * partners), `exp`, `iat`, `nonce`, `auth_time` against `maxAgeSec`, and `at_hash` when
 * `accessToken` is given; returns the claims.
 */
export function validateIdToken(token: string, opts: ValidateIdTokenOptions): Promise<Record<string, unknown>>;

/**
 * Checks the signature of `token` with a key from `keys` under one of `opts.algorithms`
 * (default `["RS256"]`; the token's `alg` must be in the list and suit the key) and
 * returns its header and claims. Claims are NOT validated: use `validateIdToken` for that.
 */
export function verifyJwt(token: string, keys: KeySet, opts?: VerifyOptions): Promise<JwtParts>;

