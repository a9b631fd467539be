-- Drives wrk from a request list (one request per line: METHOD \t PATH \t AUTH \t BODY).
-- Thread t of n takes lines t, t+n, t+2n… so id pools are never shared between threads.
-- Args: FILE AMOUNT_PER_THREAD THREADS. With an amount > 0 each thread stops after that many
-- responses (and counts non-2xx itself) and says so on stdout; done() prints one JSON line.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, amount, total = args[1], tonumber(args[2]), tonumber(args[3])
  reqs, idx, seen, non2xx = {}, 0, 0, 0
  local line_no = 0
  for line in io.lines(file) do
    if line_no % total == tid then
      local method, path, auth, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = {}
      if auth ~= "" then headers["Authorization"] = auth end
      if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
      table.insert(reqs, wrk.format(method, path, headers, body))
    end
    line_no = line_no + 1
  end
  limit = amount
  if limit == 0 then response = nil end
end

function request()
  idx = idx + 1
  if idx > #reqs then idx = 1 end
  return reqs[idx]
end

function response(status, headers, body)
  seen = seen + 1
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if seen == limit then
    -- wrk's main thread sleeps for -d regardless; the harness sends SIGINT once every thread
    -- has printed this, and wrk then reports the true elapsed time.
    wrk.thread:stop()
    io.write("WRK_AMOUNT_REACHED\n")
    io.flush()
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non2xx") or 0) end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"non2xx":%d,"status4xx5xx":%d,"socketErrors":%d,"timeouts":%d,' ..
    '"p50":%d,"p90":%d,"p99":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, bad, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean))
end
