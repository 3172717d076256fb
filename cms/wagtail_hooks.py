from wagtail import hooks

from cms.innovation_chooser import innovation_chooser_viewset


@hooks.register("register_admin_viewset")
def register_innovation_chooser():
    return innovation_chooser_viewset
