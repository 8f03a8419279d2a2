// oauth4webapi: what a single-page app imports for the authorization-code flow with PKCE
// and the ID token: discovery, verifier/challenge/state/nonce, the authorization response,
// the code exchange and its ID-token claims (public client, no secret).
export {
  discoveryRequest,
  processDiscoveryResponse,
  generateRandomCodeVerifier,
  calculatePKCECodeChallenge,
  generateRandomState,
  generateRandomNonce,
  validateAuthResponse,
  authorizationCodeGrantRequest,
  processAuthorizationCodeResponse,
  getValidatedIdTokenClaims,
  None,
} from "oauth4webapi";
