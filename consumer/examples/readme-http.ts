import { createMemoryRepositories } from "@mika-maintenance/memory";
import { createMaintenanceHttp } from "@mika-maintenance/http";
const http = createMaintenanceHttp({ repositories: createMemoryRepositories() });
const response = await http.fetch(new Request("http://localhost/metrics"));
console.log(response.status, (await response.text()).split("\n")[0]);
