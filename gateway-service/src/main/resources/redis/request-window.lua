-- Counts one request against a tenant's per-minute window and admits it only while under the limit.
-- KEYS[1]: window prefix, e.g. sluice:rl:{tenant}:rpm (the hash tag keeps every window in the tenant's slot)
-- ARGV[1]: requests allowed per minute
-- Returns {admitted (1|0), count after this call, seconds until the window resets}.
-- Uses the Redis clock so that every gateway replica agrees on the window.
local now = tonumber(redis.call('TIME')[1])
local window = math.floor(now / 60)
local key = KEYS[1] .. ':' .. window
local limit = tonumber(ARGV[1])
local reset = 60 - (now % 60)
local count = tonumber(redis.call('GET', key) or '0')
if count >= limit then
  return {0, count, reset}
end
count = redis.call('INCR', key)
if count == 1 then
  redis.call('EXPIRE', key, 120)
end
return {1, count, reset}
