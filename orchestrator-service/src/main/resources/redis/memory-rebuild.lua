-- Writes a conversation's hot lists from a PostgreSQL read, unless an append or a deletion newer than that read has
-- run since (its mark is higher): the read would then be stale, and the keys stay cold.
-- KEYS[1] the items list, KEYS[2] its mark, KEYS[3] the items' tokens; ARGV[1] TTL (ms), ARGV[2] the seq the read
-- saw, then n items (JSON) and their n token counts.
local mark = tonumber(redis.call('GET', KEYS[2]) or '-1')
if mark > tonumber(ARGV[2]) then
  return 0
end
local last = 2 + (#ARGV - 2) / 2
redis.call('DEL', KEYS[1], KEYS[3])
for i = 3, last, 1000 do
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, last)))
end
for i = last + 1, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
if #ARGV >= 3 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('PEXPIRE', KEYS[3], ARGV[1])
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[1])
return 1
