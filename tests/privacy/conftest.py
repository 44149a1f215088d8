from tests.audit.conftest import decided, privacy_officer, submitted  # noqa: F401 (fixtures)
from tests.requests.conftest import fast_passwords, media_root, member, records  # noqa: F401 (fixtures)
