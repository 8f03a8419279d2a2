// jose: verify a JWT against a JWK set the caller already holds (the equivalent of
// vipps-auth's KeySet.fromJwks + verifyJwt / validateIdToken).
export { jwtVerify, createLocalJWKSet } from "jose";
