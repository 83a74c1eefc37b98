package api

// Feature files (programme.go, reports.go, inspections.go, …) add their
// endpoints from an init function with registerFeature, so that each
// capability keeps its routes, OpenAPI operations and schemas in its own
// file and the OpenAPI coverage test sees them all.

// featureSchemas are merged into components/schemas by schemas().
var featureSchemas = obj{}

// featureTags are appended to the document's tags.
var featureTags []obj

// registerFeature adds routes, their OpenAPI operations (keyed "GET /api/v1/…")
// and schemas. It panics on a duplicate, which the package tests catch.
func registerFeature(tag, tagDesc string, rs []route, ops map[string]op, schemas obj) {
	routes = append(routes, rs...)
	for k, v := range ops {
		if _, dup := operations[k]; dup {
			panic("api: operation registered twice: " + k)
		}
		operations[k] = v
	}
	for k, v := range schemas {
		if _, dup := featureSchemas[k]; dup {
			panic("api: schema registered twice: " + k)
		}
		featureSchemas[k] = v
	}
	featureTags = append(featureTags, obj{"name": tag, "description": tagDesc})
}
