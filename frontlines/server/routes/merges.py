"""``GET /merges`` and ``POST /merges/{merge_id}/undo``: see and undo what corroboration
merged (the store keeps every merge with its reasons; undoing one stores the merged event
again with the reports it brought)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query

from frontlines.server.auth import api_key_header, bearer, require_key
from frontlines.server.errors import ApiError
from frontlines.server.routes import check_text, errors, get_state
from frontlines.server.schemas import MergesOut, MergeUndone
from frontlines.server.state import ServerState

router = APIRouter(tags=["merges"])


def merge_json(merge: Any) -> dict[str, Any]:
    return merge.to_dict()


@router.get("/merges", response_model=MergesOut, responses=errors(422, 503))
def list_merges(event_id: str | None = Query(None, max_length=64, description="Only merges "
                                             "into or out of this event."),
                include_undone: bool = Query(False),
                state: ServerState = Depends(get_state)) -> dict[str, Any]:
    """Merges made by corroboration, oldest first, each with the rules that matched."""
    check_text(event_id, "event_id")
    merges = state.store.merges(event_id=event_id or None, include_undone=include_undone)
    return {"merges": [merge_json(m) for m in merges]}


@router.post("/merges/{merge_id}/undo", response_model=MergeUndone,
             responses=errors(401, 403, 404, 409, 422, 503),
             dependencies=[Depends(api_key_header), Depends(bearer), Depends(require_key)])
def undo_merge(merge_id: int = Path(..., ge=1, le=2**62),
               state: ServerState = Depends(get_state)) -> dict[str, Any]:
    """Undo a merge: the merged event is stored again with the reports the merge brought."""
    store = state.store
    with state.write_lock:
        known = {m.merge_id: m for m in store.merges(include_undone=True)}
        merge = known.get(merge_id)
        if merge is None:
            raise ApiError(404, "E704", f"there is no merge {merge_id}", field="merge_id",
                           fix="take a merge_id from GET /merges")
        if merge.undone_at is not None:
            raise ApiError(409, "E724", f"merge {merge_id} was undone already "
                           f"({merge.undone_at.isoformat()})", field="merge_id",
                           fix="nothing to do; GET /merges?include_undone=true lists it")
        if store.event(merge.merged_event_id) is not None:
            raise ApiError(409, "E724", f"merge {merge_id}: event {merge.merged_event_id} is "
                           "stored again already, so the merge cannot be undone",
                           field="merge_id", fix="see GET /merges for the event's merges")
        return {"merge": merge_json(store.unmerge(merge_id))}
