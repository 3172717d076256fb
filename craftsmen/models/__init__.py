from craftsmen.models.craftsman import Craftsman, CraftsmanQuerySet, Honour, Studio

__all__ = ["Craftsman", "CraftsmanQuerySet", "Honour", "Studio"]
