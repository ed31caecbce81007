-- Reads one cached answer for a request, on Redis' clock, and counts the lookup in the tenant's figures.
-- KEYS: the entry, the tenant's lru order, the tenant's stats. ARGV: the entry's member, the oldest age accepted in
-- ms (-1: any), '1' to count a miss. Returns {body, meta, age in ms} for a hit; nil for a miss (absent, or older
-- than accepted).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local fields = redis.call('HMGET', KEYS[1], 'body', 'meta', 'cost', 'created')
if not fields[1] then
  if ARGV[3] == '1' then
    redis.call('HINCRBY', KEYS[3], 'misses', 1)
  end
  return false
end
local age = math.max(0, now - tonumber(fields[4]))
local oldest = tonumber(ARGV[2])
if oldest >= 0 and age > oldest then
  if ARGV[3] == '1' then
    redis.call('HINCRBY', KEYS[3], 'misses', 1)
  end
  return false
end
redis.call('ZADD', KEYS[2], 'XX', now, ARGV[1])
redis.call('HINCRBY', KEYS[3], 'hits', 1)
redis.call('HINCRBY', KEYS[3], 'saved_micro_usd', fields[3])
return {fields[1], fields[2], tostring(age)}
