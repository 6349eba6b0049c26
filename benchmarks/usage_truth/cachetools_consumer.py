# ruff: noqa
"""A consumer of cachetools, written for the usage benchmark (4.2.4 -> 5.0.0)."""
import operator
import threading
import time

import cachetools
import cachetools.func
from cachetools import LRUCache, TTLCache, cached, cachedmethod
from cachetools.keys import hashkey
from cachetools.lru import LRUCache as OldLRU
from cachetools.ttl import TTLCache as OldTTL
from cachetools.cache import Cache as OldCache

lru = LRUCache(maxsize=2)
lru['a'] = 1
print(lru.get('a'), lru.currsize, lru.maxsize)
print(cachetools.cache.Cache(3).maxsize)
print(cachetools.lru.LRUCache, cachetools.ttl.TTLCache(1, 1).ttl)
ttl = TTLCache(maxsize=10, ttl=60, timer=time.monotonic)
ttl['k'] = 'v'
print(ttl.ttl, ttl.timer(), len(ttl))
ttl.expire()
rr = cachetools.RRCache(maxsize=4)
lfu = cachetools.LFUCache(8, getsizeof=len)
base = cachetools.Cache(5, getsizeof=None)
print(base.getsizeof(1), cachetools.LFUCache(2).popitem if len(lfu) else 0)
print(hashkey(1, 2, a=3), cachetools.keys.typedkey(1))
lock = threading.RLock()


@cached(cache=LRUCache(maxsize=32), key=hashkey, lock=lock)
def square(x):
    return x * x


@cachetools.func.lru_cache(maxsize=16)
def cube(x):
    return x ** 3


@cachetools.func.ttl_cache(maxsize=16, ttl=30)
def quad(x):
    return x ** 4


class Repo:
    def __init__(self):
        self.cache = cachetools.LRUCache(maxsize=100)
        self.store = TTLCache(20, 10)

    @cachedmethod(operator.attrgetter('cache'))
    def find(self, key):
        return key.upper()

    def warm(self):
        self.cache.popitem() if self.cache else None
        self.store.expire(time.monotonic())
        return self.cache.currsize


repo = Repo()
print(square(3), cube(2), quad(1), repo.find('a'), repo.warm())
print(cube.cache_info(), cachetools.MRUCache(3).maxsize)
print(OldLRU, OldTTL, OldCache)
