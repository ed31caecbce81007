-- Grants one orchestrator replica a block (a lease) of a deployment's provider quotas, atomically and on Redis' clock,
-- so that every replica counts against the same fixed windows: requests and tokens per minute, and, where set,
-- requests per hour, requests per day and tokens per day. The block counts as used in every window as soon as it is
-- granted, and it is no larger than what any window has left: the replicas together never admit more than any quota,
-- whatever they do with their blocks.
-- KEYS[1]  <prefix>{<deployment>}  (the hash tag keeps a deployment's counters in one cluster slot)
-- ARGV[1]  requests per minute; ARGV[2] tokens per minute (0: no token quota); ARGV[3] tokens the asking call may use;
-- ARGV[4]  requests wanted (at least 1: the asking call); ARGV[5] tokens wanted (at least ARGV[3]);
-- ARGV[6]  requests per hour; ARGV[7] requests per day; ARGV[8] tokens per day (each 0 or absent: no such window)
-- Counters: KEYS[1]:rpm:<epoch-minute>, :tpm:<epoch-minute>, :rph:<epoch-hour>, :rpd:<epoch-day>, :tpd:<epoch-day>,
-- each expiring a minute after its window ends.
-- Returns {requests granted (0: refused), milliseconds until the refusing window turns (admitted: until the minute
-- turns, when a block expires), epoch minute, tokens granted, the refusing window ('rpm', 'rph', ...; '' if none)}.
-- When several windows are full, the one that turns last is named: the call cannot pass before it does.
local time = redis.call('TIME')
local seconds = tonumber(time[1])
local nowMillis = seconds * 1000 + math.floor(tonumber(time[2]) / 1000)
local minute = math.floor(seconds / 60)
local hour = math.floor(seconds / 3600)
local day = math.floor(seconds / 86400)
local untilMinute = (minute + 1) * 60000 - nowMillis
local tokens = tonumber(ARGV[3])

local function limit(i)
  return tonumber(ARGV[i] or '0') or 0
end

-- {suffix, stamp, limit, milliseconds until the window turns}
local requestWindows = {
  {'rpm', minute, limit(1), untilMinute},
  {'rph', hour, limit(6), (hour + 1) * 3600000 - nowMillis},
  {'rpd', day, limit(7), (day + 1) * 86400000 - nowMillis},
}
local tokenWindows = {
  {'tpm', minute, limit(2), untilMinute},
  {'tpd', day, limit(8), (day + 1) * 86400000 - nowMillis},
}

local requests = tonumber(ARGV[4])
local grantedTokens = tonumber(ARGV[5])
local countsTokens = false
local refusedBy = ''
local refusedFor = 0
local function refuse(window)
  if window[4] > refusedFor then
    refusedBy = window[1]
    refusedFor = window[4]
  end
end

for _, w in ipairs(requestWindows) do
  if w[3] > 0 then
    w[5] = KEYS[1] .. ':' .. w[1] .. ':' .. w[2]
    local used = tonumber(redis.call('GET', w[5]) or '0')
    if used + 1 > w[3] then
      refuse(w)
    else
      requests = math.min(requests, w[3] - used)
    end
  end
end
for _, w in ipairs(tokenWindows) do
  if w[3] > 0 then
    countsTokens = true
    w[5] = KEYS[1] .. ':' .. w[1] .. ':' .. w[2]
    local used = tonumber(redis.call('GET', w[5]) or '0')
    -- A first call larger than the whole quota still goes through, or it would never be served.
    if used > 0 and used + tokens > w[3] then
      refuse(w)
    else
      grantedTokens = math.min(grantedTokens, w[3] - used)
    end
  end
end
if refusedFor > 0 then
  return {0, refusedFor, minute, 0, refusedBy}
end
if countsTokens then
  grantedTokens = math.max(tokens, grantedTokens)
else
  grantedTokens = 0
end

for _, w in ipairs(requestWindows) do
  if w[3] > 0 then
    redis.call('INCRBY', w[5], requests)
    redis.call('PEXPIRE', w[5], w[4] + 60000)
  end
end
for _, w in ipairs(tokenWindows) do
  if w[3] > 0 then
    redis.call('INCRBY', w[5], grantedTokens)
    redis.call('PEXPIRE', w[5], w[4] + 60000)
  end
end
return {requests, untilMinute, minute, grantedTokens, ''}
