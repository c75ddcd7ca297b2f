"""HTTP layer: Litestar app, controllers, problem documents, pagination and OpenAPI."""
