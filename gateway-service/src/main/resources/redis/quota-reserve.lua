-- Check-and-consume of every quota a request is subject to, all or nothing per request, for a batch of requests in
-- one round trip. The Redis clock decides the windows, so every gateway replica agrees on them.
-- KEYS: each request's tenant counter prefix, e.g. sluice:q:{t1}: (declares the slots; a tenant's counters share its
--       hash tag, so a batch of several tenants needs a standalone Redis)
-- ARGV[1]: the number of requests; then per request: the key's counter prefix (e.g. sluice:q:{t1}:k:<key-id>:), the
--       number of groups, and the groups of five: scope ('t' tenant | 'k' key), window
--       (rpm|rph|rpd|tpd|usd-day|usd-month), limit, amount, block (more to grant to the replica if the request is
--       admitted, as far as the limit allows; 0 for none)
-- Returns one reply per request, in order: {1, milliseconds into the current second, then per group: used after
--         (block included), seconds to reset, counter key, block granted} when admitted, {0, failed group (1-based),
--         used, seconds to reset, counter key} when refused (nothing consumed).
-- Counter names must match io.sluice.contracts.QuotaKeys (checked by RedisQuotaStoreTest).
local time = redis.call('TIME')
local now = tonumber(time[1])
-- Rounded up, so that the time left in a window, as the reply tells it, is never more than there is.
local millis = math.ceil(tonumber(time[2]) / 1000)

-- Calendar arithmetic for monthly budgets (H. Hinnant's civil algorithms, UTC).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m > 2) and (m - 3) or (m + 9)
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local function civil_from_days(days)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = (mp < 10) and (mp + 3) or (mp - 9)
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m
end

-- The window's stamp, seconds until it resets, and a TTL that outlives it.
local function window(name)
  if name == 'rpm' then return math.floor(now / 60), 60 - now % 60, 120 end
  if name == 'rph' then return math.floor(now / 3600), 3600 - now % 3600, 7200 end
  if name == 'usd-month' then
    local y, m = civil_from_days(math.floor(now / 86400))
    local ny, nm = y, m + 1
    if nm == 13 then ny, nm = y + 1, 1 end
    local reset = days_from_civil(ny, nm, 1) * 86400 - now
    return string.format('%d%02d', y, m), reset, reset + 86400
  end
  return math.floor(now / 86400), 86400 - now % 86400, 172800
end

-- One request: its groups start at ARGV[at].
local function reserve(tenant_prefix, key_prefix, at, groups)
  local keys, used, resets, ttls, amounts, blocks = {}, {}, {}, {}, {}, {}
  for i = 1, groups do
    local base = at + (i - 1) * 5
    local scope, name = ARGV[base], ARGV[base + 1]
    local limit, amount = tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
    local stamp, reset, ttl = window(name)
    local prefix = (scope == 'k') and key_prefix or tenant_prefix
    local key = prefix .. name .. ':' .. string.format('%s', stamp)
    local current = tonumber(redis.call('GET', key) or '0')
    if current + amount > limit then
      return {0, i, current, reset, key}
    end
    -- The block is counted now, so replicas spending theirs locally can never admit more than the limit together.
    local block = math.max(0, math.min(tonumber(ARGV[base + 4]), limit - current - amount))
    keys[i], used[i], resets[i], ttls[i] = key, current + amount + block, reset, ttl
    amounts[i], blocks[i] = amount, block
  end

  local reply = {1, millis}
  for i = 1, groups do
    local taken = amounts[i] + blocks[i]
    if taken > 0 and redis.call('INCRBY', keys[i], taken) == taken then
      redis.call('EXPIRE', keys[i], ttls[i])
    end
    reply[#reply + 1] = used[i]
    reply[#reply + 1] = resets[i]
    reply[#reply + 1] = keys[i]
    reply[#reply + 1] = blocks[i]
  end
  return reply
end

local replies = {}
local at = 2
for r = 1, tonumber(ARGV[1]) do
  local groups = tonumber(ARGV[at + 1])
  replies[r] = reserve(KEYS[r], ARGV[at], at + 2, groups)
  at = at + 2 + 5 * groups
end
return replies
