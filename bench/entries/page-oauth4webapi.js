// Loaded by the speed page (bench/browser.mjs): oauth4webapi's function that is timed.
export { calculatePKCECodeChallenge } from "oauth4webapi";
