"""The MkDocs adapter, the only code that imports MkDocs or its theme: the plugin, the build and serve around it, offline pages."""
