"""Resolve the names entries use to entities: declared names, their aliases, and new names."""

from __future__ import annotations

from ..model import Entity, EntityKind
from .slugs import make_slug


class EntityIndex:
    """Every entity by slug, found by name or alias regardless of case."""

    def __init__(self, declared: tuple[Entity, ...], language: str):
        self.language = language
        self.by_slug: dict[str, Entity] = {entity.slug: entity for entity in declared}
        self._by_name: dict[str, str] = {}
        self.asked: list[str] = []
        """Every name resolved, in order: what a cached entry replays to add its undeclared entities."""
        for entity in declared:
            for label in (entity.name, *entity.aliases):
                self._by_name[label.casefold()] = entity.slug

    def resolve(self, name: str) -> str:
        """Return the slug of the entity called `name`, adding an undeclared one of kind `other`."""
        self.asked.append(name)
        slug = self._by_name.get(name.casefold())
        if slug is not None:
            return slug
        slug = make_slug(name, self.language)
        if slug not in self.by_slug:
            self.by_slug[slug] = Entity(slug, name, EntityKind.OTHER, declared=False)
        self._by_name[name.casefold()] = slug
        return slug
