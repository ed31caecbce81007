-- Deletes a tenant's cached answers: all of them, or those of one namespace (ARGV[2], a member prefix).
-- KEYS: lru, sizes, stats, vectors. ARGV[1]: the entry key prefix. Returns the number of entries deleted.
-- Clearing all also drops the semantic questions; clearing a namespace leaves its questions, which then find no
-- entry (a miss) and age out of the bounded stream.
-- Entry keys share the tenant's hash tag with KEYS, so they are in the same slot on Redis Cluster.
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local prefix = ARGV[2]
local deleted = 0
local freed = 0
for _, member in ipairs(members) do
  if prefix == '' or string.sub(member, 1, #prefix) == prefix then
    redis.call('DEL', ARGV[1] .. member)
    freed = freed + tonumber(redis.call('HGET', KEYS[2], member) or '0')
    redis.call('HDEL', KEYS[2], member)
    redis.call('ZREM', KEYS[1], member)
    deleted = deleted + 1
  end
end
if prefix == '' then
  redis.call('DEL', KEYS[4])
end
if freed > 0 then
  redis.call('HINCRBY', KEYS[3], 'bytes', -freed)
end
return deleted
