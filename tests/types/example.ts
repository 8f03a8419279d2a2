// Type-checks the public API of the built package (tsc --noEmit): every export is typed,
// no parameter or result is `any`.
import init, {
  initSync, type VippsAuthErrorCode,
  endpoints, generateCodeVerifier, codeChallengeS256, randomState, randomNonce, buildAuthorizeUrl,
  startLogin, parseCallback, decodeJwt, verifyJwt, validateIdToken, discover, KeySet,
  VippsAuthError, type VippsAuthErrorCause, type ParseCallbackOptions,
  type VippsEndpoints, type AuthorizeParams, type LoginStart, type JwtParts,
  type RemoteKeySetOptions, type ValidateIdTokenOptions, type ProviderMetadata, type CallbackResult,
} from "vipps-auth";

type IsAny<T> = 0 extends 1 & T ? true : false;
type AssertNotAny<T> = IsAny<T> extends true ? never : T;

async function main(): Promise<void> {
  const ready: void = await init();
  const readySync: void = initSync({ module: new Uint8Array(0) });
  const notReady: VippsAuthErrorCode = "ERR_NOT_INITIALIZED";
  console.log(ready, readySync, notReady);
  const e: AssertNotAny<VippsEndpoints> = endpoints("test");
  // @ts-expect-error: only "test" | "production"
  endpoints("staging");
  const verifier: string = generateCodeVerifier();
  const challenge: string = codeChallengeS256(verifier);
  const params: AuthorizeParams = {
    authorizationEndpoint: e.authorizationEndpoint, clientId: "c", redirectUri: "https://app/cb",
    scope: ["openid"], state: randomState(), nonce: randomNonce(), codeChallenge: challenge,
    requestedFlow: "app_to_app_v2", extraParams: { ui_locales: "nb" },
  };
  const url: string = buildAuthorizeUrl(params);
  // @ts-expect-error: not a flow Vipps has
  buildAuthorizeUrl({ ...params, requestedFlow: "teleport" });
  const login: AssertNotAny<LoginStart> = startLogin({ authorizationEndpoint: url, clientId: "c", redirectUri: "https://app/cb", scope: "openid" });
  const cb: AssertNotAny<CallbackResult> = parseCallback(login.url, login.state);
  const cbOpts: ParseCallbackOptions = { issuer: e.issuer };
  parseCallback(login.url, login.state, cbOpts);
  // @ts-expect-error: the issuer is a string
  parseCallback(login.url, login.state, { issuer: 5 });
  const parts: AssertNotAny<JwtParts> = decodeJwt(cb.code);
  const opts: RemoteKeySetOptions = { cacheMaxAgeSec: 600, cooldownSec: 30, timeoutMs: 5000 };
  const keys: KeySet = KeySet.remote(e.jwksUri, opts);
  const fixed: KeySet = KeySet.fromJwks({ keys: [] });
  const verified: AssertNotAny<JwtParts> = await verifyJwt("t", keys, { algorithms: ["RS256", "ES256"] });
  await verifyJwt("t", fixed);
  const vopts: ValidateIdTokenOptions = { issuer: e.issuer, clientId: "c", nonce: login.nonce, keys, clockToleranceSec: 30 };
  const claims: AssertNotAny<Record<string, unknown>> = await validateIdToken("t", vopts);
  const meta: AssertNotAny<ProviderMetadata> = await discover(e.issuer);
  try {
    parseCallback("x", "y");
  } catch (err) {
    if (err instanceof VippsAuthError) {
      const code: "ERR_STATE_MISMATCH" | string = err.code;
      const cause: VippsAuthErrorCause | undefined = err.cause;
      if (cause && "param" in cause) console.log(cause.param.length);
      console.log(code, err.vippsError, err.status);
    }
  }
  console.log(parts.header, verified.claims, claims, meta.jwks_uri, keys.fetchCount);
}
void main;
