"""Included at /api/v1/ by amparo.config.urls (namespace "api", as the NinjaAPI expects)."""

from amparo.api.api import api

app_name = "api"
urlpatterns = api.urls[0]
