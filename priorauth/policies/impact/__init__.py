"""Impact preview: what a draft change to the policy records would do to requests, before saving.

`drafts` applies the change to a copy of the snapshot, `compare` re-decides the requests under
both and counts what moves (both pure); `records` turns an admin form into the change,
`selectors` loads the requests' facts in one query, and `admin` is the admin's button and page.
"""
