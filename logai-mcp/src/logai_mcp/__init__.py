"""LogAI over the Model Context Protocol: the chat's log tools for any MCP agent."""
