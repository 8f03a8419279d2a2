-- wrk script for the worker's cached token route: POST /accesstoken with the API key.
-- With BENCH_BASELINE=1 it sends plain GETs instead (the baseline run against /healthz).
-- Prints one JSON line at the end (latency in microseconds) for bench/report.mjs.
if os.getenv("BENCH_BASELINE") ~= "1" then
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("WORKER_API_KEY") or "demo-worker-api-key")
  wrk.headers["Content-Length"] = "0"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"socketErrors":%d,"non2xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
