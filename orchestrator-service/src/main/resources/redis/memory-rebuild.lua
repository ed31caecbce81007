-- Writes a conversation's hot list from a PostgreSQL read, unless an append or a deletion newer than that read has
-- run since (its mark is higher): the read would then be stale, and the key stays cold.
-- KEYS[1] the items list, KEYS[2] its mark; ARGV[1] TTL (ms), ARGV[2] the seq the read saw, ARGV[3..] items (JSON).
local mark = tonumber(redis.call('GET', KEYS[2]) or '-1')
if mark > tonumber(ARGV[2]) then
  return 0
end
redis.call('DEL', KEYS[1])
for i = 3, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
if #ARGV >= 3 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[1])
return 1
