"""Test environment: production-like settings (DEBUG off) with throwaway secrets.

Loaded as a plugin (`-p tests.environment` in pyproject) so it runs before Django
reads its settings. DATABASE_URL passes through to run the suite on PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x9Qm2" * 10)
os.environ.setdefault("AUDIT_KEY", "test-only-audit-key-" + "k7Wp3" * 8)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("MFA_REQUIRED", "0")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
_scratch = tempfile.mkdtemp(prefix="alongside-tests-")
os.environ.setdefault("PRIVATE_ROOT", os.path.join(_scratch, "private"))
os.environ.setdefault("MEDIA_ROOT", os.path.join(_scratch, "media"))
