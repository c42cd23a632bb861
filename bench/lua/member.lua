-- wrk script: every request carries the logged-in member's session cookie (BENCH_COOKIE, "name=value").
-- done() prints one machine-readable line that bench/load_bench.py parses.
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    "BENCH_RESULT rps=%.2f p50=%.3f p95=%.3f p99=%.3f requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
