-- Grants one orchestrator replica a block (a lease) of a deployment's provider quotas, atomically and on Redis' clock,
-- so that every replica counts against the same fixed one-minute window. The block counts as used as soon as it is
-- granted: the replicas together never admit more than the quota, whatever they do with their blocks.
-- KEYS[1]  <prefix>{<deployment>}  (the hash tag keeps a deployment's counters in one cluster slot)
-- ARGV[1]  requests per minute; ARGV[2] tokens per minute (0: no token quota); ARGV[3] tokens the asking call may use;
-- ARGV[4]  requests wanted (at least 1: the asking call); ARGV[5] tokens wanted (at least ARGV[3])
-- Counters: KEYS[1]:rpm:<epoch-minute> and KEYS[1]:tpm:<epoch-minute>, expiring a minute after their window.
-- Returns {requests granted (0: refused), milliseconds until the next window, epoch minute, tokens granted}.
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

local usedRequests = tonumber(redis.call('GET', rpmKey) or '0')
if usedRequests + 1 > rpmLimit then
  return {0, untilNext, minute, 0}
end
local requests = math.min(tonumber(ARGV[4]), rpmLimit - usedRequests)
local grantedTokens = 0
if tpmLimit > 0 then
  local used = tonumber(redis.call('GET', tpmKey) or '0')
  -- A first call larger than the whole quota still goes through, or it would never be served.
  if used > 0 and used + tokens > tpmLimit then
    return {0, untilNext, minute, 0}
  end
  grantedTokens = math.max(tokens, math.min(tonumber(ARGV[5]), tpmLimit - used))
end
local ttl = untilNext + 60000
redis.call('INCRBY', rpmKey, requests)
redis.call('PEXPIRE', rpmKey, ttl)
if tpmLimit > 0 then
  redis.call('INCRBY', tpmKey, grantedTokens)
  redis.call('PEXPIRE', tpmKey, ttl)
end
return {requests, untilNext, minute, grantedTokens}
