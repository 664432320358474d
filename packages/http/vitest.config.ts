import { defineMikaProject } from "../../vitest.project.ts";

export default defineMikaProject("http");
