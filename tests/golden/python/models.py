"""Tiny ORM-style models: fields, properties, managers and re-exports."""

from __future__ import annotations

import logging
import re as regex
from typing import TYPE_CHECKING, Any, ClassVar

from .fields import CharField, Field, IntegerField
from .managers import Manager as BaseManager
from ..utils.text import slugify, unused_helper
from . import signals

if TYPE_CHECKING:
    from collections.abc import Iterator
    from .query import QuerySet

try:
    import ujson as json
except ImportError:
    import json

__all__ = ["Model", "Article", "CharField", "DEFAULT_MANAGER_NAME"]

DEFAULT_MANAGER_NAME = "objects"
_registry: dict[str, type[Model]] = {}
logger = logging.getLogger(__name__)
SLUG_RE = regex.compile(r"^[-a-z0-9]+$")


class ModelState:
    """Per-instance bookkeeping, kept apart from user-defined fields."""

    adding: bool = True
    db = None

    def __init__(self, db: str | None = None) -> None:
        self.db = db
        self.fields_cache: dict[str, Any] = {}
        self._snapshot = None


class Model:
    """Base class of every model.

    Subclasses declare fields as class attributes.
    """

    objects: ClassVar[BaseManager]
    _meta_cache = None
    __slots__ = ("_state", "pk")

    def __init__(self, **kwargs: Any) -> None:
        self._state = ModelState()
        self.pk = kwargs.pop("pk", None)
        for name, value in kwargs.items():
            setattr(self, name, value)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _registry[cls.__name__.lower()] = cls
        signals.class_prepared.send(sender=cls)

    @property
    def is_saved(self) -> bool:
        """True once the row exists in the database."""
        return not self._state.adding

    @classmethod
    def from_db(cls, db: str, values: Iterator[Any]) -> Model:
        obj = cls(*values)
        obj._state = ModelState(db)
        obj._state.adding = False
        return obj

    def save(self, *, force_insert: bool = False, using: str | None = None) -> None:
        if not self.clean():
            raise ValueError("invalid model")
        logger.debug("saving %r", self)
        self.__write(using or DEFAULT_MANAGER_NAME, force_insert)

    def clean(self) -> bool:
        return True

    def __write(self, using: str, force: bool) -> None:
        pass

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.pk}>"


class Article(Model):
    """A blog article."""

    title = CharField(max_length=200)
    slug: Field = CharField(max_length=50, unique=True)
    views = IntegerField(default=0)

    class Meta:
        ordering = ["-views"]
        verbose_name = "article"

    def clean(self) -> bool:
        self.slug = slugify(self.title)
        return bool(SLUG_RE.match(self.slug))

    @property
    def headline(self) -> str:
        return self.title.upper()

    @headline.setter
    def headline(self, value: str) -> None:
        self.title = value.strip()

    def related(self) -> "QuerySet":
        return Article.objects.filter(slug__startswith=self.slug[:3])

    def to_json(self) -> str:
        return json.dumps({"title": self.title, "views": self.views})
