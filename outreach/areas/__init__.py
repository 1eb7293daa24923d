"""Areas: country, health board or region, local authority or kommun, and the Area Planning
Boards and Alcohol and Drug Partnerships that commission services, loaded from a bundled list."""
