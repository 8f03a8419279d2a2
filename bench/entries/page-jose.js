// Loaded by the speed page (bench/browser.mjs): jose's functions that are timed.
export { jwtVerify, createLocalJWKSet, decodeJwt } from "jose";
