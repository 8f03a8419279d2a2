// What replaces the whole vipps-auth browser package: oauth4webapi for the flow (as in
// oauth4webapi-spa.js) plus jose for what oauth4webapi leaves out in a SPA whose code
// exchange happens on a server: checking the ID token's signature against the Vipps JWKS
// (local or remote set) and decoding a JWT.
export * from "./oauth4webapi-spa.js";
export { jwtVerify, createLocalJWKSet, createRemoteJWKSet, decodeJwt } from "jose";
