// jose: verify a JWT against a JWK set fetched and cached from a URL (the equivalent of
// vipps-auth's KeySet.remote + validateIdToken).
export { jwtVerify, createRemoteJWKSet } from "jose";
