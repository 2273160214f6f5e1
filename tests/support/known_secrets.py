"""The secrets the security tests plant, to search responses, errors and logs for them.

A module of its own (not conftest.py) so test files can import it by a unique name.
"""

ADMIN_TOKEN = "admin-token-8c1f0e4b-never-in-a-response"
SIGNER_PASSWORD = "keystore-password-5d2a-never-logged"
PASSWORD_ENV = "ORACLE_SECURITY_TEST_SIGNER_PASSWORD"
