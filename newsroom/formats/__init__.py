"""Date and number formats by language (settings.FORMAT_MODULE_PATH)."""
