from innovations.models.attachment import Attachment
from innovations.models.contributor import Contributor
from innovations.models.industry import Industry
from innovations.models.innovation import Innovation
from innovations.models.patent import Patent
from innovations.models.review import ReviewEvent

__all__ = ["Attachment", "Contributor", "Industry", "Innovation", "Patent", "ReviewEvent"]
