-- Appends items to a conversation's hot list, only when the list holds the whole history up to this append.
-- KEYS[1] the items list, KEYS[2] its mark: the conversation's seq (PostgreSQL's next_seq) the list is complete up to.
-- ARGV[1] TTL (ms), ARGV[2] max items, ARGV[3] seq before this append, ARGV[4] seq after it, ARGV[5..] items (JSON).
-- ARGV[3] = -2 only invalidates (an item was deleted): the list goes, the mark moves to ARGV[4].
local mark = tonumber(redis.call('GET', KEYS[2]) or '-1')
local before = tonumber(ARGV[3])
local after = tonumber(ARGV[4])
if mark == before and redis.call('EXISTS', KEYS[1]) == 1 then
  for i = 5, #ARGV, 1000 do
    redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
  end
  redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[1])
  return 1
end
-- Cold, or another append's script has not run yet (or ran first): the list would miss items, so it goes; the next
-- read rebuilds it from PostgreSQL. The mark only moves forward, so a slower rebuild of older rows cannot land.
redis.call('DEL', KEYS[1])
if after > mark then
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[1])
end
return 0
