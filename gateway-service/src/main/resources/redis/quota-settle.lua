-- Settles a batch of ended requests in one run: each request's reservation to what was really used, and its usage
-- event appended to the stream. A delta (actual minus reserved, often negative) is added to the counter the
-- reservation was taken from, even if that window has since closed, never below zero.
-- KEYS: the counters of every settlement in order, then the stream (only if some settlement carries an entry).
-- ARGV[1]: the stream's approximate MAXLEN; ARGV[2]: the number of settlements; then per settlement:
--   n, n deltas (one per next counter key), m, m field/value arguments of its stream entry (m = 0: none).
-- Returns the number of entries appended. Redis runs a script whole or, if it refuses it (NOSCRIPT), not at all.
local stream = KEYS[#KEYS]
local max_length = ARGV[1]
local at = 3
local key = 1
local appended = 0
for _ = 1, tonumber(ARGV[2]) do
  local deltas = tonumber(ARGV[at])
  for i = 1, deltas do
    local delta = tonumber(ARGV[at + i])
    if delta ~= 0 and redis.call('EXISTS', KEYS[key]) == 1 then
      if redis.call('INCRBY', KEYS[key], delta) < 0 then
        redis.call('SET', KEYS[key], 0, 'KEEPTTL')
      end
    end
    key = key + 1
  end
  at = at + deltas + 1
  local fields = tonumber(ARGV[at])
  if fields > 0 then
    redis.call('XADD', stream, 'MAXLEN', '~', max_length, '*', unpack(ARGV, at + 1, at + fields))
    appended = appended + 1
  end
  at = at + fields + 1
end
return appended
