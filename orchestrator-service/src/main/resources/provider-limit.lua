-- Admits one call to a deployment against its provider quotas, atomically and on Redis' clock, so that every
-- orchestrator replica counts against the same fixed one-minute window.
-- KEYS[1]  <prefix>{<deployment>}  (the hash tag keeps a deployment's counters in one cluster slot)
-- ARGV[1]  requests per minute; ARGV[2] tokens per minute (0: no token quota); ARGV[3] tokens this call may use
-- Counters: KEYS[1]:rpm:<epoch-minute> and KEYS[1]:tpm:<epoch-minute>, expiring a minute after their window.
-- Returns {admitted (1|0), milliseconds until the next window, epoch minute}.
local time = redis.call('TIME')
local seconds = tonumber(time[1])
local nowMillis = seconds * 1000 + math.floor(tonumber(time[2]) / 1000)
local minute = math.floor(seconds / 60)
local untilNext = (minute + 1) * 60000 - nowMillis
local rpmKey = KEYS[1] .. ':rpm:' .. minute
local tpmKey = KEYS[1] .. ':tpm:' .. minute
local rpmLimit = tonumber(ARGV[1])
local tpmLimit = tonumber(ARGV[2])
local tokens = tonumber(ARGV[3])

if tonumber(redis.call('GET', rpmKey) or '0') + 1 > rpmLimit then
  return {0, untilNext, minute}
end
if tpmLimit > 0 then
  local used = tonumber(redis.call('GET', tpmKey) or '0')
  -- A first call larger than the whole quota still goes through, or it would never be served.
  if used > 0 and used + tokens > tpmLimit then
    return {0, untilNext, minute}
  end
end
local ttl = untilNext + 60000
redis.call('INCR', rpmKey)
redis.call('PEXPIRE', rpmKey, ttl)
if tpmLimit > 0 then
  redis.call('INCRBY', tpmKey, tokens)
  redis.call('PEXPIRE', tpmKey, ttl)
end
return {1, untilNext, minute}
