// Sent in the User-Agent; a test keeps it equal to package.json's version.
export const ACTION_NAME = 'digicert-code-signing-order-action'
export const ACTION_VERSION = '1.0.0'
