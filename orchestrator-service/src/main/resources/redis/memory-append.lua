-- Appends items to a conversation's hot lists, only when they hold the whole history up to this append.
-- KEYS[1] the items list, KEYS[2] its mark: the conversation's seq (PostgreSQL's next_seq) the lists are complete up
-- to, KEYS[3] the items' tokens (a list beside the items, read by the gateway to size a turn's reservation).
-- ARGV[1] TTL (ms), ARGV[2] max items, ARGV[3] seq before this append, ARGV[4] seq after it, then n items (JSON) and
-- their n token counts. ARGV[3] = -2 only invalidates (an item was deleted): the lists go, the mark moves to ARGV[4].
local mark = tonumber(redis.call('GET', KEYS[2]) or '-1')
local before = tonumber(ARGV[3])
local after = tonumber(ARGV[4])
local last = 4 + (#ARGV - 4) / 2
if mark == before and redis.call('EXISTS', KEYS[1], KEYS[3]) == 2 then
  for i = 5, last, 1000 do
    redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, last)))
  end
  for i = last + 1, #ARGV, 1000 do
    redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 999, #ARGV)))
  end
  redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
  redis.call('LTRIM', KEYS[3], -tonumber(ARGV[2]), -1)
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('PEXPIRE', KEYS[3], ARGV[1])
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[1])
  return 1
end
-- Cold, or another append's script has not run yet (or ran first): the lists would miss items, so they go; the next
-- read rebuilds them from PostgreSQL. The mark only moves forward, so a slower rebuild of older rows cannot land.
redis.call('DEL', KEYS[1], KEYS[3])
if after > mark then
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[1])
end
return 0
