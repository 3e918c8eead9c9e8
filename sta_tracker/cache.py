"""The cache is an aid, never a dependency: with Redis down or stalled, pages compute afresh.

``ForgivingRedisCache`` is Django's Redis backend whose reads miss and whose writes are dropped
when Redis cannot be reached, each time with a warning in the log. After a failure it leaves
Redis alone for ``STA_CACHE_RETRY_SECONDS``, so a stalled server costs one socket timeout per
process in that while, not one per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client holder, keeping its one ``redis.Redis`` object instead of building
    one per call (a third of a replayed page's time went to that). The object is thread-safe and
    its pool reconnects after a fork."""

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        if len(self.__dict__["_servers"]) != 1:
            return super().get_client(key, write=write)
        client = self.__dict__.get("_reused")
        if client is None:
            client = super().get_client(key, write=write)
            self.__dict__["_reused"] = client
        return client


class ForgivingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 30))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0

    def reachable(self) -> bool:
        """False while the cache is left alone after a failure."""
        return time.monotonic() >= self._down_until

    def _forgiving(self, what: str, call: Callable[[], T], fallback: T) -> T:
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return call()
        except RedisError as exc:
            self._down_until = time.monotonic() + self.retry_seconds
            logger.warning(
                "cache unavailable (%s: %s); %s skipped, the cache is left alone for %gs",
                type(exc).__name__,
                exc,
                what,
                self.retry_seconds,
            )
            return fallback

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._forgiving(
            "get", lambda: super(ForgivingRedisCache, self).get(key, default, version), default
        )

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        return self._forgiving(
            "get_many", lambda: super(ForgivingRedisCache, self).get_many(keys, version), {}
        )

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._forgiving(
            "has_key", lambda: super(ForgivingRedisCache, self).has_key(key, version), False
        )

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self._forgiving(
            "set", lambda: super(ForgivingRedisCache, self).set(key, value, timeout, version), None
        )

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self._forgiving(
            "add", lambda: super(ForgivingRedisCache, self).add(key, value, timeout, version), False
        )

    def set_many(
        self,
        data: dict[str, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        return self._forgiving(
            "set_many",
            lambda: super(ForgivingRedisCache, self).set_many(data, timeout, version),
            list(data),
        )

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._forgiving(
            "touch", lambda: super(ForgivingRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._forgiving(
            "delete", lambda: super(ForgivingRedisCache, self).delete(key, version), False
        )

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        self._forgiving(
            "delete_many", lambda: super(ForgivingRedisCache, self).delete_many(keys, version), None
        )

    def clear(self) -> None:
        self._forgiving("clear", lambda: super(ForgivingRedisCache, self).clear(), None)
