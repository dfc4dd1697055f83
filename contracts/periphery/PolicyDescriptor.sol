// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {ICoverManager, Policy} from "../interfaces/ICoverManager.sol";
import {IPolicyDescriptor} from "../interfaces/IPolicyDescriptor.sol";
import {IProductRegistry, Product} from "../interfaces/IProductRegistry.sol";

// A renderer builds long JSON and SVG strings by nature; the view is free for its callers (wallets, indexers).
// solhint-disable gas-small-strings

/// @title PolicyDescriptor
/// @notice On-chain JSON + SVG metadata of Parapet policy NFTs; see IPolicyDescriptor.
contract PolicyDescriptor is IPolicyDescriptor {
    using Strings for uint256;

    ICoverManager public immutable coverManager;
    IProductRegistry public immutable registry;

    /// @dev What one card shows, gathered before rendering.
    struct Card {
        string product;
        string symbol;
        string amount;
        string claimed;
        string status;
        string start;
        string end;
    }

    constructor(ICoverManager coverManager_, IProductRegistry registry_) {
        coverManager = coverManager_;
        registry = registry_;
    }

    /// @inheritdoc IPolicyDescriptor
    function tokenURI(uint256 policyId) external view returns (string memory) {
        Policy memory policy = coverManager.getPolicy(policyId);
        Product memory product = registry.getProduct(policy.productId);
        Card memory card = _card(policy, product);
        string memory name = string.concat("Parapet cover #", policyId.toString(), ": ", card.product);
        string memory description = string.concat(
            "Parapet cover of ", card.amount, " ", card.symbol, " on ", card.product,
            ". The holder of this NFT receives its claim payouts."
        );
        string memory image = string.concat("data:image/svg+xml;base64,", Base64.encode(_svg(policyId, card)));
        string memory json = string.concat(
            "{\"name\":\"", name, "\",\"description\":\"", description, "\",\"image\":\"", image, "\",\"attributes\":",
            _attributes(policyId, policy, product, card), "}"
        );
        return string.concat("data:application/json;base64,", Base64.encode(bytes(json)));
    }

    function _card(Policy memory policy, Product memory product) private view returns (Card memory card) {
        IERC20Metadata asset = IERC20Metadata(IERC4626(policy.vault).asset());
        uint8 decimals = asset.decimals();
        card.product = _slug(product.metadataURI);
        card.symbol = _safe(asset.symbol());
        card.amount = _units(policy.amount, decimals);
        card.claimed = _units(policy.claimed, decimals);
        card.status = _status(policy, product);
        card.start = uint256(policy.start).toString();
        card.end = uint256(policy.end).toString();
    }

    function _attributes(uint256 policyId, Policy memory policy, Product memory product, Card memory card)
        private
        pure
        returns (string memory)
    {
        string memory head = string.concat(
            "[", _trait("Product", card.product, true), ",",
            _trait("Product id", uint256(product.id).toString(), false), ",",
            _trait("Vault", Strings.toHexString(policy.vault), true), ","
        );
        string memory amounts = string.concat(
            _trait("Amount", string.concat(card.amount, " ", card.symbol), true), ",",
            _trait("Claimed", string.concat(card.claimed, " ", card.symbol), true), ",",
            _trait("Status", card.status, true), ","
        );
        string memory times = string.concat(
            _date("Start", card.start), ",", _date("End", card.end), ",", _trait("Policy", policyId.toString(), false),
            "]"
        );
        return string.concat(head, amounts, times);
    }

    /// @dev `{"trait_type":"<name>","value":<value>}`, the value quoted as a string or bare as a number.
    function _trait(string memory name, string memory value, bool quoted) private pure returns (string memory) {
        string memory shown = quoted ? string.concat("\"", value, "\"") : value;
        return string.concat("{\"trait_type\":\"", name, "\",\"value\":", shown, "}");
    }

    /// @dev `{"display_type":"date","trait_type":"<name>","value":<unix seconds>}`.
    function _date(string memory name, string memory value) private pure returns (string memory) {
        return string.concat("{\"display_type\":\"date\",\"trait_type\":\"", name, "\",\"value\":", value, "}");
    }

    function _svg(uint256 policyId, Card memory card) private pure returns (bytes memory) {
        string memory head = string.concat(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"360\" height=\"220\" viewBox=\"0 0 360 220\">",
            "<rect width=\"360\" height=\"220\" rx=\"16\" fill=\"#0f172a\"/>",
            "<text x=\"20\" y=\"36\" fill=\"#e2e8f0\" font-family=\"monospace\" font-size=\"18\">Parapet cover #",
            policyId.toString(), "</text>"
        );
        string memory body = string.concat(
            _line(70, "Product", card.product),
            _line(100, "Amount", string.concat(card.amount, " ", card.symbol)),
            _line(130, "Claimed", string.concat(card.claimed, " ", card.symbol)),
            _line(160, "Period", string.concat(card.start, " - ", card.end)),
            _line(190, "Status", card.status)
        );
        return bytes(string.concat(head, body, "</svg>"));
    }

    function _line(uint256 y, string memory label, string memory value) private pure returns (string memory) {
        return string.concat(
            "<text x=\"20\" y=\"", y.toString(), "\" fill=\"#94a3b8\" font-family=\"monospace\" font-size=\"13\">",
            label, ": <tspan fill=\"#f8fafc\">", value, "</tspan></text>"
        );
    }

    /// @dev The policy's status as of this block (see IPolicyDescriptor.tokenURI).
    function _status(Policy memory policy, Product memory product) private view returns (string memory) {
        if (policy.claimed == policy.amount) return "Paid out";
        if (block.timestamp <= uint256(policy.start) + product.coverageLag) return "Waiting";
        if (block.timestamp <= policy.end) return "Active";
        if (block.timestamp <= uint256(policy.end) + product.claimGracePeriod) return "Claim window";
        return "Expired";
    }

    /// @dev `value` in whole units with up to 2 decimals, rounded down: 1234567890 (6 decimals) is "1234.56".
    function _units(uint256 value, uint8 decimals) private pure returns (string memory) {
        uint256 unit = 10 ** decimals;
        string memory whole = (value / unit).toString();
        if (decimals == 0) return whole;
        uint256 cents = decimals >= 2 ? (value % unit) / 10 ** (decimals - 2) : (value % unit) * 10;
        if (cents == 0) return whole;
        return string.concat(whole, cents < 10 ? ".0" : ".", cents.toString());
    }

    /// @dev The last path segment of a metadata URI (`ipfs://.../lendora-v3` is `lendora-v3`), made safe.
    function _slug(string memory uri) private pure returns (string memory) {
        bytes memory raw = bytes(uri);
        uint256 begin = 0;
        for (uint256 i = 0; i < raw.length; ++i) {
            if (raw[i] == "/" && i + 1 < raw.length) begin = i + 1;
        }
        bytes memory slug = new bytes(raw.length - begin);
        for (uint256 i = begin; i < raw.length; ++i) slug[i - begin] = raw[i];
        return _safe(string(slug));
    }

    /// @dev Keeps letters, digits, `-`, `_`, `.` and spaces, replacing anything else with `_`: nothing a token or a
    /// product's metadata says can break out of the JSON string or the SVG text it lands in.
    function _safe(string memory text) private pure returns (string memory) {
        bytes memory out = bytes(text);
        bytes memory copy = new bytes(out.length);
        for (uint256 i = 0; i < out.length; ++i) {
            bytes1 c = out[i];
            bool ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-"
                || c == "_" || c == "." || c == " ";
            copy[i] = ok ? c : bytes1("_");
        }
        return string(copy);
    }
}
