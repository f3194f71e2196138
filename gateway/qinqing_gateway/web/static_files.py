"""The pages' own style sheet and script: a fixed list, served with long caching."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from fastapi import Path as PathParam
from fastapi.responses import Response

from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(include_in_schema=False, dependencies=[Depends(limit_anonymous)])
_FOLDER = Path(__file__).with_name("static")
_TYPES = {"qinqing.css": "text/css; charset=utf-8", "live.js": "text/javascript; charset=utf-8"}
_FILES = {name: (_FOLDER / name).read_bytes() for name in _TYPES}
Name = Literal["qinqing.css", "live.js"]


@router.get("/static/{name}")
async def static_file(name: Annotated[Name, PathParam()]) -> Response:
    headers = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}
    return Response(_FILES[name], media_type=_TYPES[name], headers=headers)
