// The headless Chromium every e2e test drives: Debian's /usr/bin/chromium (or $CHROMIUM)
// through playwright-core, with the flags this machine's closed network needs (no background
// networking, component updates, sync or QUIC, which would only be refused).
import { chromium } from "playwright-core";

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
}
