-- wrk script for benches/serve-load.sh: each request is the next search of
-- a file of paths (one `/search?…` a line), each thread starting at its own
-- place; at the end, one line per figure for the shell script to read.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local paths = {}
local next_path = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  assert(#paths > 0, "no queries in " .. args[1])
  next_path = (id or 0) * math.floor(#paths / 7)
end

function request()
  next_path = next_path + 1
  return wrk.format("GET", paths[(next_path % #paths) + 1])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("result requests %d\n", summary.requests))
  io.write(string.format("result seconds %.2f\n", seconds))
  io.write(string.format("result rps %.0f\n", summary.requests / seconds))
  io.write(string.format("result p50_ms %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("result p90_ms %.2f\n", latency:percentile(90) / 1000))
  io.write(string.format("result p99_ms %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("result max_ms %.2f\n", latency.max / 1000))
  io.write(string.format("result errors %d\n", e.connect + e.read + e.write + e.status + e.timeout))
  io.write(string.format("result non_2xx %d\n", e.status))
end
