export { type MikaAstroIntegration, mikaMaintenanceStartup } from "./astro-integration.ts";
