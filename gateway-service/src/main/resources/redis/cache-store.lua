-- Stores one answer and keeps the tenant within its byte budget by evicting the least recently used entries.
-- KEYS: the entry, the tenant's lru order, sizes and stats. ARGV: member, body, meta, cost in micro-USD, TTL in ms,
-- the tenant's byte budget, the tenant's entry key prefix, the channel announcing stored entries and this entry's
-- message (every gateway replica's presence filter learns of it). Returns the number of entries evicted, -1 when the
-- answer alone exceeds the budget (not stored). Entries that expired on their own leave the books as they reach the
-- head of the order (at most 8 per store beyond what the budget needs), so the count of bytes stays true.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member = ARGV[1]
local size = #ARGV[2] + #ARGV[3] + #member
local budget = tonumber(ARGV[6])
if size > budget then
  return -1
end
local previous = redis.call('HGET', KEYS[3], member)
if previous then
  redis.call('HINCRBY', KEYS[4], 'bytes', -tonumber(previous))
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'body', ARGV[2], 'meta', ARGV[3], 'cost', ARGV[4], 'created', now)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], now, member)
redis.call('HSET', KEYS[3], member, size)
local bytes = redis.call('HINCRBY', KEYS[4], 'bytes', size)
local evicted = 0
local swept = 0
while true do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)
  if #oldest == 0 or oldest[1] == member then
    break
  end
  local victim = oldest[1]
  local expired = redis.call('EXISTS', ARGV[7] .. victim) == 0
  if bytes <= budget and (not expired or swept >= 8) then
    break
  end
  redis.call('DEL', ARGV[7] .. victim)
  local freed = tonumber(redis.call('HGET', KEYS[3], victim) or '0')
  redis.call('HDEL', KEYS[3], victim)
  redis.call('ZREM', KEYS[2], victim)
  bytes = redis.call('HINCRBY', KEYS[4], 'bytes', -freed)
  if expired then
    swept = swept + 1
  else
    evicted = evicted + 1
  end
end
if evicted > 0 then
  redis.call('HINCRBY', KEYS[4], 'evictions', evicted)
end
redis.call('PUBLISH', ARGV[8], ARGV[9])
return evicted
