import { describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, clientIp, ipKey } from "./client-ip";

const request = (headers: Record<string, string>) => new Request("https://study.example/", { headers });

describe("clientIp", () => {
  it("reads CF-Connecting-IP, whatever the header's case", () => {
    expect(clientIp(request({ [CLIENT_IP_HEADER]: "203.0.113.7" }))).toBe("203.0.113.7");
    expect(clientIp(request({ "cf-connecting-ip": "2001:db8::1" }))).toBe("2001:db8:0:0::/64");
  });

  it("is null without the header, and trusts no other header a client could send", () => {
    expect(clientIp(request({}))).toBeNull();
    expect(
      clientIp(
        request({
          "x-forwarded-for": "203.0.113.7",
          "x-real-ip": "203.0.113.7",
          "true-client-ip": "203.0.113.7",
        }),
      ),
    ).toBeNull();
  });

  it("is null when the header is not one address", () => {
    expect(clientIp(request({ [CLIENT_IP_HEADER]: "203.0.113.7, 198.51.100.1" }))).toBeNull();
    expect(clientIp(request({ [CLIENT_IP_HEADER]: "" }))).toBeNull();
  });
});

describe("ipKey: IPv4", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["0.0.0.0", "0.0.0.0"],
    ["255.255.255.255", "255.255.255.255"],
    ["10.0.0.1", "10.0.0.1"],
    [" 198.51.100.20 ", "198.51.100.20"],
  ])("%j is %j", (text, key) => {
    expect(ipKey(text)).toBe(key);
  });
});

describe("ipKey: IPv6 by its /64", () => {
  it.each([
    ["2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3:8d3::/64"],
    ["2001:0db8:85a3:08d3:1319:8a2e:0370:7348", "2001:db8:85a3:8d3::/64"],
    ["2001:DB8:85A3:8D3:FFFF:FFFF:FFFF:FFFF", "2001:db8:85a3:8d3::/64"],
    ["2001:db8:85a3:8d3::1", "2001:db8:85a3:8d3::/64"],
    ["2001:db8::", "2001:db8:0:0::/64"],
    ["2001:db8:0:0:1::", "2001:db8:0:0::/64"],
    ["2001:db8::8d3:0:0:1", "2001:db8:0:0::/64"],
    ["2001:db8:0:8d3::", "2001:db8:0:8d3::/64"],
    ["::", "0:0:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["1::", "1:0:0:0::/64"],
    ["1:2:3:4:5:6:7::", "1:2:3:4::/64"],
    ["::2:3:4:5:6:7:8", "0:2:3:4::/64"],
    ["fe80::1", "fe80:0:0:0::/64"],
    ["2001:db8:1:2:3:4:192.0.2.33", "2001:db8:1:2::/64"],
    // IPv4-compatible (deprecated, not mapped): an IPv6 address like any other.
    ["::192.0.2.33", "0:0:0:0::/64"],
  ])("%j is %j", (text, key) => {
    expect(ipKey(text)).toBe(key);
  });

  it("gives every address of one /64 the same key, and the neighbouring /64 another", () => {
    const same = [
      "2001:db8:aaaa:bbbb::",
      "2001:db8:aaaa:bbbb::1",
      "2001:db8:aaaa:bbbb:1:2:3:4",
      "2001:0DB8:AAAA:BBBB:ffff:ffff:ffff:ffff",
      "2001:db8:aaaa:bbbb:0:0:0:0",
    ].map(ipKey);
    expect(new Set(same).size).toBe(1);
    expect(ipKey("2001:db8:aaaa:bbbc::1")).not.toBe(same[0]);
  });
});

describe("ipKey: IPv4-mapped IPv6 is the IPv4 address", () => {
  it.each([
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["::FFFF:203.0.113.7", "203.0.113.7"],
    ["::ffff:cb00:7107", "203.0.113.7"],
    ["0:0:0:0:0:ffff:203.0.113.7", "203.0.113.7"],
    ["0000:0000:0000:0000:0000:ffff:cb00:7107", "203.0.113.7"],
    ["::ffff:0.0.0.0", "0.0.0.0"],
  ])("%j is %j", (text, key) => {
    expect(ipKey(text)).toBe(key);
  });
});

describe("ipKey: anything else is null", () => {
  it.each([
    "",
    " ",
    "unknown",
    "localhost",
    "203.0.113",
    "203.0.113.7.1",
    "203.0.113.256",
    "203.0.113.-1",
    "203.0.113.07",
    "0x7f.0.0.1",
    "203.0.113.7:8080",
    "203.0.113.7/24",
    "1.2.3.4 5.6.7.8",
    "2001:db8::1::2",
    "2001:db8:::1",
    ":1",
    "1:",
    ":::",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7",
    "1:2:3:4::5:6:7:8",
    "2001:db8::12345",
    "2001:db8::g",
    "[2001:db8::1]",
    "fe80::1%eth0",
    "2001:db8::1/64",
    "::ffff:203.0.113",
    "::ffff:203.0.113.256",
    "1.2.3.4::",
    "::1.2.3.4:5",
    "1:2:3:4:5:6:7:1.2.3.4",
    "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000",
    "1".repeat(1000),
  ])("%j", (text) => {
    expect(ipKey(text)).toBeNull();
  });
});
